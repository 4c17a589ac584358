"""Demo data of the secretariat: applications, then the workspace."""

from secretariat import demo_applications, demo_workspace


def load() -> None:
    demo_applications.load()
    demo_workspace.load()
