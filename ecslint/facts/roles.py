"""How task definitions name IAM roles: ARN and role-name syntax (ecs-facts.md §1.1, §4.1)."""

from __future__ import annotations

import re

#: An IAM role ARN: ``arn:<partition>:iam::<12 digits>:role/<path/>name``. Role names are
#: 1-64 of ``[\w+=,.@-]``; a path is ``/``-separated segments of the same characters.
ROLE_ARN = re.compile(
    r"^arn:aws[a-zA-Z-]*:iam::\d{12}:role/(?:[\w+=,.@-]+/)*[\w+=,.@-]{1,64}$", re.ASCII
)

#: A bare role name, which ``taskRoleArn`` accepts ("short name or full ARN", §1.1).
ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}$", re.ASCII)

#: Any IAM ARN, to say what a wrong one names (a user, a group, a policy, ...).
IAM_ARN = re.compile(r"^arn:(?P<partition>[^:]*):iam::(?P<account>[^:]*):(?P<kind>[a-z-]+)/")
