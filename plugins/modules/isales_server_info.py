#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: isales_server_info
short_description: Check the connection to a CC-iSales server - TLS, signature, clock - with one read
version_added: 1.1.0
description:
  - Answers "why doesn't it work?" before anything else runs. Sends one cheap signed read (the first page,
    of one result, of the external results of O(vdn_id)) and reports what the server's answer tells -
    whether the server was reached, how TLS went, whether the signature was accepted, the server's clock
    and how far it is from this host's, and how long the read took.
  - Does not fail when the server cannot be reached, TLS verification fails or the signature is rejected;
    those are its findings. It fails only on bad options, before any request.
  - With O(probe_signing=true) it sends one read per signed-header dialect the vendor documents
    (V(host); V(content-type), V(host); V(content-length), V(content-type), V(host)), at most three requests,
    and says which O(signed_headers) to set.
  - Never writes, and never retries a read (each finding is about one request).
author:
  - huawei.isales contributors (@huawei-isales)
extends_documentation_fragment:
  - huawei.isales.connection
  - huawei.isales.attributes
  - huawei.isales.attributes.vdn
  - huawei.isales.attributes.info_module
options:
  probe_signing:
    description:
      - Send one read per documented signed-header dialect instead of one read signed as O(signed_headers)
        says, and report the dialects the server accepts in RV(accepted_signed_headers).
    type: bool
    default: false
notes:
  - The secret key is never shown; the access key is (RV(access_key)), so that a wrong one can be spotted.
  - O(retries) does not apply; every read is sent once.
seealso:
  - module: huawei.isales.isales_ob_result
  - name: When the server answers 401
    description: The authentication guide of this collection's docs site.
    link: https://github.com/huawei-isales/huawei.isales/blob/main/docs/docsite/rst/authentication.rst
"""

EXAMPLES = r"""
- name: Check the connection before anything else (connection options from ISALES_* variables)
  huawei.isales.isales_server_info:
    vdn_id: 12
  register: server

- name: Stop with the finding when something is wrong
  ansible.builtin.assert:
    that: server.auth == 'accepted'
    fail_msg: "{{ server.msg }}"

- name: Which signed headers does the server want?
  huawei.isales.isales_server_info:
    url: https://isales.example.com:28443
    access_key: "{{ isales_ak }}"
    secret_key: "{{ isales_sk }}"
    ca_path: /etc/pki/isales/ca.pem
    vdn_id: 12
    probe_signing: true
  register: dialects

- name: Show what to set
  ansible.builtin.debug:
    msg: "{{ dialects.msg }} (recommended: {{ dialects.recommended_signed_headers }})"
"""

RETURN = r"""
msg:
  description: One line saying what the findings mean and what to set.
  returned: always
  type: str
  sample: "the server accepted the signed request (signed headers host); the server's clock is 2 s ahead of this host's."
url:
  description: The base URL that was read.
  returned: always
  type: str
  sample: https://isales.example.com:28443
access_key:
  description: The access key the requests were signed with (the secret key is never returned).
  returned: always
  type: str
  sample: globalaktest
signed_headers:
  description: The signed headers of the read that the findings below describe.
  returned: always
  type: list
  elements: str
  sample: [host]
reachable:
  description: Whether a connection to the server could be made.
  returned: always
  type: bool
  sample: true
tls:
  description:
    - V(verified) (the certificate was verified), V(disabled) (O(validate_certs=false)), V(not used) (an
      C(http://) URL), or V(failed) followed by the reason; V(null) when the server could not be reached.
  returned: always
  type: str
  sample: verified
http_status:
  description: The HTTP status of the answer; V(null) without an answer.
  returned: always
  type: int
  sample: 200
auth:
  description:
    - V(accepted) when the server checked the signature and went on (even if it then refused the call, for
      example for an unknown VDN), V(rejected) on HTTP 401, V(unknown) when the answer does not tell
      (for example HTTP 404 or 503), V(null) without an answer.
  returned: always
  type: str
  sample: accepted
returnCode:
  description: The C(returnCode) of the answer, if it had one.
  returned: always
  type: str
  sample: "0200000"
returnDesc:
  description: The C(returnDesc) of the answer (for a 401, the server's reason), if it had one.
  returned: always
  type: str
  sample: queryOBSResults Success!
server_time:
  description: The server's clock, from the C(Date) header of its answer (UTC); V(null) without one.
  returned: always
  type: str
  sample: "2026-11-29T08:46:14Z"
clock_skew_seconds:
  description:
    - How many seconds the server's clock is ahead of this host's (negative when behind), to about a second.
    - The server refuses signatures more than 15 minutes (900 s) from its clock; the module warns above 300 s.
  returned: always
  type: int
  sample: 2
latency_ms:
  description: Milliseconds from sending the read to its answer; V(null) without an answer.
  returned: always
  type: float
  sample: 41.7
accepted_signed_headers:
  description: With O(probe_signing=true), the dialects the server accepted, in the order probed; else V(null).
  returned: always
  type: list
  elements: list
  sample: [[content-length, content-type, host]]
recommended_signed_headers:
  description: With O(probe_signing=true), the first accepted dialect (the value for O(signed_headers)), or V(null).
  returned: always
  type: list
  elements: str
  sample: [content-length, content-type, host]
probes:
  description: With O(probe_signing=true), the findings of each read; else V(null).
  returned: always
  type: list
  elements: dict
  sample: [{"signed_headers": ["host"], "http_status": 401, "auth": "rejected", "returnDesc": "signature mismatch"}]
api_requests:
  description: How many requests were sent (one, or at most three with O(probe_signing=true)).
  returned: always
  type: int
  sample: 1
"""

from ansible_collections.huawei.isales.plugins.module_utils._module import IsalesModule
from ansible_collections.huawei.isales.plugins.module_utils._server_info import (
    accepted_dialects,
    advice,
    diagnose,
    tls_mode,
)

OPTIONS = dict(
    probe_signing=dict(type="bool", default=False),
)

# The fields of a probe's finding that are returned per probe.
PROBE_FIELDS = ("signed_headers", "http_status", "auth", "returnCode", "returnDesc")


def run(module):
    params = module.params
    main, probes = diagnose(lambda names: module.client(retries=0, signed_headers=names), params["vdn_id"],
                            params["signed_headers"], tls_mode(params["url"], params["validate_certs"]),
                            params["probe_signing"])
    msg, warnings = advice(main, probes, params["signed_headers"])
    for warning in warnings:
        module.warn(warning)
    accepted = accepted_dialects(probes) if probes is not None else None
    result = dict(changed=False, msg=msg, url=params["url"], access_key=params["access_key"],
                  accepted_signed_headers=accepted,
                  recommended_signed_headers=accepted[0] if accepted else None,
                  probes=[dict((key, probe[key]) for key in PROBE_FIELDS) for probe in probes] if probes else None)
    result.update((key, value) for key, value in main.items() if key != "error")
    return result


def main():
    IsalesModule(OPTIONS).run(run)


if __name__ == "__main__":
    main()
