# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Mirrors CONNECTION_ARGUMENT_SPEC in plugins/module_utils/_common.py.
    DOCUMENTATION = r"""
options:
  url:
    description:
      - Base URL of the CC-iSales server, for example V(https://10.1.1.1:28443).
      - A path after the port is kept as a prefix (for a server behind a reverse proxy); it is sent, and
        signed, as written (an already percent-encoded prefix such as V(/my%20gw) is not encoded again).
      - An C(http://) URL works, with a warning - the signed requests then travel unencrypted and can be
        replayed for 15 minutes.
      - If not set, the value of the E(ISALES_URL) environment variable is used.
    type: str
    required: true
  access_key:
    description:
      - The access key (AK) of the AK/SK pair the server's administrator issued.
      - If not set, the value of the E(ISALES_ACCESS_KEY) environment variable is used.
    type: str
    required: true
  secret_key:
    description:
      - The secret key (SK) that signs every request (auth-v2). It is never sent, logged or returned.
      - If not set, the value of the E(ISALES_SECRET_KEY) environment variable is used.
    type: str
    required: true
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate.
      - Leave this on; for a server whose certificate comes from a private CA, set O(ca_path) instead.
        With V(false) the modules warn - auth-v2 has no nonce, so a machine in the middle that reads a signed
        request can replay it for 15 minutes.
      - If not set, the value of the E(ISALES_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
  ca_path:
    description:
      - Path to a PEM bundle of the CA certificates to trust, for a server with a private CA.
        A path that does not exist fails the task before any request.
      - When not set, the CA bundle shipped with C(requests) (certifi) is used;
        E(REQUESTS_CA_BUNDLE) and E(CURL_CA_BUNDLE) are deliberately ignored so that
        these options alone decide what is trusted.
      - If not set, the value of the E(ISALES_CA_PATH) environment variable is used.
    type: path
  timeout:
    description:
      - Seconds one request may take as a whole - connecting, sending, and receiving the headers and the
        complete answer. A server that trickles its answer is cut off at that deadline; an answer larger than
        8 MiB is refused.
      - "Worst case of a task: a read is tried at most O(retries) + 1 times, waiting between tries up to 8 s
        (exponential backoff with jitter: 0.5, 1, 2, 4, 8 s) or the server's C(Retry-After) (at most 60 s); with
        the defaults one read gives up after at most 4 x 30 + 3.5 s, about two minutes. A write is sent once;
        an unknown outcome costs one such read of the server's state, and a write that may still be in
        flight (a timeout, HTTP 504) two more, O(timeout) seconds apart. A task takes at most the sum over its
        requests; SIGINT or SIGTERM stops it within O(timeout) seconds."
      - If not set, the value of the E(ISALES_TIMEOUT) environment variable is used.
    type: int
    default: 30
  retries:
    description:
      - How many more times a read is tried after a connection error, a timeout, HTTP 429 or a 5xx answer,
        with exponential backoff and jitter, honouring C(Retry-After). V(0) disables retries. At most V(10).
      - Writes are never repeated blindly; after an ambiguous failure of a write the module reads the
        server's state again and only writes again when the write provably did not happen.
      - If not set, the value of the E(ISALES_RETRIES) environment variable is used.
    type: int
    default: 3
  signed_headers:
    description:
      - The request headers that the auth-v2 signature covers, besides the signature's own fields.
      - The vendor's documents disagree on this. The vendor's demo signer signs V(host) only (the default);
        the vendor's request samples of the same auth-v2 family sign V(content-length), V(content-type) and
        V(host). A server that recomputes the signature over the names the request declares accepts both;
        a server that insists on one set answers HTTP 401 to the others.
      - Names are V(host), V(content-type) and V(content-length), case-insensitive, in any order, each counted
        once. V(host) must be in the list.
        V(content-length) is the length of the exact body bytes (V(0), sent explicitly, for a request
        without a body); V(content-type) is the exact C(Content-Type) sent.
      - M(huawei.isales.isales_server_info) with O(huawei.isales.isales_server_info#module:probe_signing=true)
        tells which of these the server accepts.
      - If not set, the value of the E(ISALES_SIGNED_HEADERS) environment variable is used, names separated
        by commas, for example V(content-length,content-type,host). An empty E(ISALES_SIGNED_HEADERS) counts
        as not set.
    type: list
    elements: str
    default: [host]
    version_added: 1.1.0
requirements:
  - requests
notes:
  - Requests are signed with the vendor's auth-v2 AK/SK scheme, which includes the signing time;
    the clock of the host that runs the module must be within 15 minutes of the server's.
"""
