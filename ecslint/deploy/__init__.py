"""The deployment model: the services around the task definitions, and what they link to.

Read from the same inputs as the task definitions (a CloudFormation template, a ``.tf``
file, ``terraform show -json``, a service read by ``ecslint scan --aws``); built only when
a deployment-level check runs. This package holds the model and its resolution, no rule
logic (that is in ``ecslint/checks/deployment.py``).
"""

from __future__ import annotations

from ecslint.deploy.model import Deployment
from ecslint.load.document import Document
from ecslint.load.target import Target


def build_deployment(document: Document, targets: list[Target]) -> Deployment | None:
    """The deployment in ``document``, or None when its shape holds none."""
    shape = targets[0].shape if targets else None
    if shape == "cloudformation":
        from ecslint.deploy.cloudformation import build

        return build(document, targets)
    if shape == "terraform":
        from ecslint.deploy.terraform import build as build_terraform

        return build_terraform(document, targets)
    if shape == "aws-service":
        from ecslint.deploy.live import build as build_live

        return build_live(document, targets)
    return None
