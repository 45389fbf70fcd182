"""The offline IAM evaluator on its own: each verdict, each element, the wildcard matcher's
edges (what the execution-role rules build on; tests/rules/test_iam.py runs them end to end)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from ecslint.iam.evaluate import Policy, Request, Verdict, evaluate, statements, wildcard_match

SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"
READ = Request("secretsmanager:GetSecretValue", SECRET)


def verdict(*statement_list: dict[str, Any], request: Request = READ) -> Verdict:
    document = {"Version": "2012-10-17", "Statement": list(statement_list)}
    return evaluate([Policy("p", document)], request).verdict


def allow(action: Any = "*", resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: Any = "*", resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


@pytest.mark.parametrize(
    ("pattern", "value", "matches"),
    [
        ("", "", True),
        ("*", "", True),
        ("**", "", True),
        ("?", "", False),
        ("", "a", False),
        ("a", "a", True),
        ("a", "b", False),
        ("a", "ab", False),
        ("ab", "a", False),
        ("a*", "a", True),
        ("*a", "ba", True),
        ("*a", "ab", False),
        ("a?c", "abc", True),
        ("a?c", "ac", False),
        ("a?c", "abbc", False),
        ("a*b*c", "aXbYc", True),
        ("a*b", "acbd", False),
        ("a*bc", "abxbc", True),
        ("*?", "a", True),
        ("?*?", "a", False),
        ("s3:*Object", "s3:GetObject", True),
        ("s3:*Object", "s3:GetObjectAcl", False),
    ],
)
def test_wildcard_match_edges(pattern: str, value: str, matches: bool) -> None:
    assert wildcard_match(pattern, value) is matches


def test_wildcard_match_case() -> None:
    assert not wildcard_match("S3:GET*", "s3:GetObject")
    assert wildcard_match("S3:GET*", "s3:GetObject", ignore_case=True)
    assert wildcard_match("s3:get*", "S3:GETOBJECT", ignore_case=True)


def test_wildcard_match_is_linear_on_adversarial_patterns() -> None:
    started = time.process_time()
    assert not wildcard_match("*?" * 200 + "x", "a" * 5000)
    assert time.process_time() - started < 5


@pytest.mark.parametrize("effect", ["allow", "ALLOW", "deny", "Allow ", "", None, 1, ["Allow"]])
def test_an_effect_other_than_allow_or_deny_decides_nothing(effect: Any) -> None:
    odd = {"Effect": effect, "Action": "*", "Resource": "*"}
    assert verdict(odd) is Verdict.NOT_ALLOWED
    assert verdict(allow(), odd) is Verdict.ALLOWED


def test_the_verdicts() -> None:
    condition = {"Bool": {"aws:SecureTransport": "true"}}
    assert verdict() is Verdict.NOT_ALLOWED
    assert verdict(allow()) is Verdict.ALLOWED
    assert verdict(allow(), deny()) is Verdict.DENIED
    assert verdict(deny(), allow()) is Verdict.DENIED
    assert verdict(allow(Condition=condition)) is Verdict.CONDITIONAL
    assert verdict(allow(Condition={})) is Verdict.ALLOWED  # an empty Condition is none
    assert verdict(allow(), deny(Condition=condition)) is Verdict.CONDITIONAL
    assert verdict(deny(Condition=condition)) is Verdict.NOT_ALLOWED
    assert verdict(allow(resource={"Fn::Sub": "x"})) is Verdict.UNKNOWN
    assert verdict(allow(), deny(resource={"Ref": "X"})) is Verdict.UNKNOWN
    assert verdict(allow(), allow(resource={"Ref": "X"})) is Verdict.ALLOWED
    assert verdict(deny(), deny(resource={"Ref": "X"})) is Verdict.DENIED
    assert verdict(allow(resource="arn:aws:s3:::other"), deny(resource={"Ref": "X"})) is (
        Verdict.NOT_ALLOWED
    )


def test_the_statements_that_made_the_verdict_are_named() -> None:
    document = {"Statement": [allow(Sid="Read"), allow(), deny("s3:*")]}
    decision = evaluate([Policy("inline", document)], READ)
    assert decision.verdict is Verdict.ALLOWED
    assert decision.because == ["inline statement Read", "inline statement 1"]
    denied = evaluate(
        [Policy("a", {"Statement": [allow()]}), Policy("b", {"Statement": deny()})], READ
    )
    assert denied.verdict is Verdict.DENIED and denied.because == ["b statement 0"]


def test_action_and_resource_elements() -> None:
    assert verdict(allow("secretsmanager:Get*")) is Verdict.ALLOWED
    assert verdict(allow(["s3:GetObject", "secretsmanager:GetSecretValue"])) is Verdict.ALLOWED
    assert verdict(allow("secretsmanager:List*")) is Verdict.NOT_ALLOWED
    assert verdict(allow([])) is Verdict.UNKNOWN  # an empty list is no readable element
    not_action = {"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}
    assert verdict(not_action) is Verdict.ALLOWED
    assert verdict({**not_action, "NotAction": "secretsmanager:*"}) is Verdict.NOT_ALLOWED
    no_action = {"Effect": "Allow", "Resource": "*"}
    assert verdict(no_action) is Verdict.NOT_ALLOWED
    no_resource = {"Effect": "Allow", "Action": "*"}
    assert verdict(no_resource) is Verdict.NOT_ALLOWED
    assert verdict(allow(resource=SECRET)) is Verdict.ALLOWED
    assert verdict(allow(resource=SECRET.upper())) is Verdict.NOT_ALLOWED  # case-sensitive
    assert verdict(allow(resource=SECRET[:-6] + "??????")) is Verdict.ALLOWED
    not_resource = {"Effect": "Allow", "Action": "*", "NotResource": SECRET}
    assert verdict(not_resource) is Verdict.NOT_ALLOWED
    assert verdict({**not_resource, "NotResource": "arn:aws:s3:::*"}) is Verdict.ALLOWED
    assert verdict(allow(resource="arn:aws:secretsmanager:*:${aws:PrincipalAccount}:*")) is (
        Verdict.UNKNOWN
    )


def test_a_resource_of_an_unknown_account() -> None:
    unknown = Request("secretsmanager:GetSecretValue", SECRET, any_account=True)
    for pattern, allowed in [
        (SECRET, True),  # the account written in the pattern stands in for the unknown one
        ("arn:aws:secretsmanager:eu-west-1:*:secret:db-*", True),
        ("arn:aws:secretsmanager:eu-west-1:999999999999:secret:db-AbCdEf", True),
        ("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf", False),
        ("arn:aws:secretsmanager:eu-west-1:12345678901?:secret:other", False),
        # a wildcard in the account may match the unknown one: never "not allowed"
        ("arn:aws:secretsmanager:eu-west-1:12345678901?:secret:db-AbCdEf", True),
        ("arn:aws:secretsmanager:eu-west-1:1234*:secret:db-AbCdEf", True),
    ]:
        expected = Verdict.ALLOWED if allowed else Verdict.NOT_ALLOWED
        assert verdict(allow(resource=pattern), request=unknown) is expected, pattern
    known = Request("secretsmanager:GetSecretValue", SECRET)
    other = "arn:aws:secretsmanager:eu-west-1:999999999999:secret:db-AbCdEf"
    assert verdict(allow(resource=other), request=known) is Verdict.NOT_ALLOWED


def test_statement_shapes() -> None:
    assert statements({"Statement": {"Effect": "Allow"}}) == [{"Effect": "Allow"}]
    assert statements({"Statement": [1, 2]}) == [1, 2]
    assert statements({"Statement": "x"}) == []
    assert statements({}) == []
    assert statements(["Statement"]) == []
    assert verdict(allow(), "junk", None) is Verdict.ALLOWED  # type: ignore[arg-type]


def test_an_unknown_account_in_a_six_field_arn() -> None:
    """An SSM parameter ARN has six fields (arn:partition:ssm:region:account:parameter/x)."""
    parameter = "arn:aws:ssm:eu-west-1:123456789012:parameter/token"
    unknown = Request("ssm:GetParameters", parameter, any_account=True)
    other = "arn:aws:ssm:eu-west-1:999999999999:parameter/token"
    assert verdict(allow(resource=other), request=unknown) is Verdict.ALLOWED
    assert verdict(allow(resource="arn:aws:ssm:eu-west-1:*:parameter/*"), request=unknown) is (
        Verdict.ALLOWED
    )
    assert verdict(allow(resource="arn:aws:ssm:eu-west-1:999999999999:parameter/other"),
                   request=unknown) is Verdict.NOT_ALLOWED  # fmt: skip
