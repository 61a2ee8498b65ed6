"""The commands: the `playbook` CLI and the scaffolding of a new playbook (`playbook init`,
`playbook new`). The top layer: may import every other package; nothing imports it.
"""
