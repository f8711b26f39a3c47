# hacking/docsite_offline.py -- appended to the conf.py that
# `antsibull-docs sphinx-init` generates (see hacking/checks/docsite.py), so that the
# docs site builds offline with warnings as errors.
#
# The generated pages refer to a few labels of Ansible's own documentation
# (for example "common_return_values"). Normally intersphinx resolves them
# from inventories downloaded at build time; offline that download fails and
# every such reference becomes a warning. Instead, intersphinx is switched off
# and the labels listed below are linked to their pages on docs.ansible.com.
# Any other unresolved reference still fails the build (nitpicky, -W).

intersphinx_mapping = {}

_ANSIBLE_DOCS = "https://docs.ansible.com/ansible/latest/"
_ANSIBLE_LABELS = {
    "ansible_configuration_settings": ("reference_appendices/config.html", "Ansible Configuration Settings"),
    "common_return_values": ("reference_appendices/common_return_values.html", "Return Values"),
    "module_defaults": ("playbook_guide/playbooks_module_defaults.html", "Module defaults"),
    "check_mode_dry": ("playbook_guide/playbooks_checkmode.html", "Check mode"),
}


def _link_ansible_label(app, env, node, contnode):
    if node.get("refdomain") != "std" or node.get("reftype") != "ref":
        return None
    target = _ANSIBLE_LABELS.get(node.get("reftarget"))
    if target is None:
        return None
    from docutils import nodes

    link = nodes.reference("", "", internal=False, refuri=_ANSIBLE_DOCS + target[0])
    if node.get("refexplicit"):
        link.append(contnode)
    else:
        link.append(nodes.inline(target[1], target[1]))
    return link


def setup(app):
    app.connect("missing-reference", _link_ansible_label)
