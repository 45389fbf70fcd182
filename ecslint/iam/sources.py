"""Build the run's sources of roles from command-line options."""

from __future__ import annotations

from ecslint.context import RunContext


class SourceError(Exception):
    """A source option that cannot be used (unreadable file, no boto3); a usage error."""


def build_context(
    iam_files: list[str] | None,
    aws: bool,
    region: str | None,
    session: object | None = None,
    aws_timeout: float = 30,
) -> RunContext:
    """``--iam FILE`` sources first (offline, in the order given), then ``--aws`` (each
    role's reads within ``aws_timeout`` seconds)."""
    from ecslint.iam.authdetails import AuthDetailsError, AuthorizationDetails

    context = RunContext(region=region)
    for path in iam_files or []:
        try:
            context.role_sources.append(AuthorizationDetails.from_file(path))
        except AuthDetailsError as exc:
            raise SourceError(str(exc)) from None
    if aws:
        from ecslint.iam.live import AwsUnavailable, LiveRoles, make_session

        try:
            session = session or make_session(region)
        except AwsUnavailable as exc:
            raise SourceError(str(exc)) from None
        context.role_sources.append(LiveRoles(session, aws_timeout))
        if context.region is None:
            context.region = getattr(session, "region_name", None)
    return context
