"""Docker/OCI image references, by the grammar of distribution/reference."""

from __future__ import annotations

import re

from ecslint.lazy_re import lazy_re
from ecslint.records import Record

_REFERENCE = lazy_re(
    r"^((?:(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
    r"(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[(?:[a-fA-F0-9:]+)\])"
    r"(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*"
    r"(?:/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*)*)"
    r"(?::([\w][\w.-]{0,127}))?"
    r"(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}))?$",
    re.ASCII,
)

_ECR_HOST = lazy_re(
    r"^(\d{12})\.dkr(?:\.ecr|\.ecr-fips|-ecr)\.([a-z0-9-]+)\.(?:amazonaws\.com(?:\.cn)?|on\.aws)$"
)


#: An ECR host whose account or region is written as a template word
#: (``ACCOUNT_ID.dkr.ecr.REGION.amazonaws.com``): still private ECR.
_ECR_LIKE_HOST = lazy_re(
    r"^[^/]+\.dkr(?:\.ecr|\.ecr-fips|-ecr)\.[^/]+\.(?:amazonaws\.com(?:\.cn)?|on\.aws)$"
)


class ImageReference(Record):
    name: str
    tag: str | None
    digest: str | None

    @property
    def domain(self) -> str | None:
        """The registry host when the first component names one (has . or :, or is localhost)."""
        first, _, rest = self.name.partition("/")
        if rest and (
            "." in first or ":" in first or first == "localhost" or first != first.lower()
        ):
            return first
        return None

    @property
    def repository(self) -> str:
        domain = self.domain
        return self.name[len(domain) + 1 :] if domain else self.name

    @property
    def ecr(self) -> tuple[str, str] | None:
        """(account, region) for a private ECR image."""
        domain = self.domain
        match = _ECR_HOST.match(domain) if domain else None
        return (match.group(1), match.group(2)) if match else None


def parse_image(image: str) -> ImageReference | None:
    """The parts of ``image``, or None when it is not a valid reference."""
    match = _REFERENCE.match(image)
    if match is None:
        return None
    return ImageReference(match.group(1), match.group(2), match.group(3))


def registry_host(image: str) -> str | None:
    """The registry host written in ``image`` (its first component, when that names a host)."""
    first, slash, _rest = image.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost" or first != first.lower()):
        return first
    return None


def is_private_ecr(image: str) -> bool | None:
    """Whether ``image`` is in a private ECR registry; None when a placeholder hides the host.

    Works on the raw text, so a malformed repository path or a placeholder tag
    (``<acct>.dkr.ecr.eu-west-1.amazonaws.com/app:${TAG}``) is still recognised.
    """
    from ecslint.load.unknown import find_placeholder

    text = image.strip()
    first, slash, _rest = text.partition("/")
    placeholder = find_placeholder(first)
    if placeholder and not slash:
        # "${IMAGE}" may be anything; "nginx:${TAG}" is a Docker Hub image.
        return None if text.startswith(placeholder) else False
    if placeholder:
        # "${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com" is ECR whatever the account is.
        if re.search(r"\.dkr(?:\.ecr|\.ecr-fips|-ecr)\.", first):
            return True
        return None
    host = registry_host(text)
    return bool(host and (_ECR_HOST.match(host.lower()) or _ECR_LIKE_HOST.match(host)))
