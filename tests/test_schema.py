"""The schema stage: the generated schema, the rule-file schema, and validation behaviour."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from ecslint import schema
from ecslint.load.unknown import Unknown
from tests.conftest import CORPUS, ROOT, lint, lint_file

SCHEMAS = ROOT / "schemas"
TASK_SCHEMA = SCHEMAS / "task-definition.schema.json"
RULE_SCHEMA = SCHEMAS / "rule.schema.json"
SCHEMA_RULES = {f"ECS01{digit}" for digit in range(10)}


#: The corpus beside the checkout (or $ECSLINT_CORPUS); the tests that read it skip without it.
TASKDEF_CORPUS = CORPUS / "taskdef"
needs_taskdef_corpus = pytest.mark.skipif(
    not TASKDEF_CORPUS.is_dir(), reason="../shared/corpus is not beside the checkout"
)


def _shipped_documents() -> list[Any]:
    """The task definitions that ship with the repository: examples, test data, and every
    rule's documented examples that are task definitions in JSON."""
    from ecslint.catalog import load_builtin_catalog

    texts = [
        path.read_text(encoding="utf-8")
        for folder in (ROOT / "examples", ROOT / "tests" / "data" / "clean")
        for path in sorted(folder.glob("*.json"))
    ]
    for rule in load_builtin_catalog():
        example = rule.docs.get("example")
        if isinstance(example, dict):
            texts.extend(text for text in (example.get("fail"), example.get("pass")) if text)
    documents: list[Any] = []
    for text in texts:
        try:
            data = json.loads(text)
        except ValueError:
            continue  # YAML, CloudFormation in YAML, a .tf
        if isinstance(data, dict) and "Resources" not in data:
            documents.append(data)
    return documents


def _corpus_documents() -> list[Any]:
    documents: list[Any] = []
    for path in sorted(TASKDEF_CORPUS.glob("*.json")):
        try:
            documents.append(json.loads(path.read_text(encoding="utf-8")))
        except ValueError:
            continue
    return documents


#: Where the samples of the comparison tests come from; the corpus adds more when it is there.
SOURCES = [
    pytest.param(_shipped_documents, id="shipped"),
    pytest.param(_corpus_documents, id="corpus", marks=needs_taskdef_corpus),
]


def _validator(path: Path, definition: str | None = None) -> Any:
    from jsonschema.validators import Draft202012Validator

    document = json.loads(path.read_text(encoding="utf-8"))
    if definition is not None:  # that definition alone, not the root's choice of shapes
        kept = {k: v for k, v in document.items() if k not in ("anyOf", "$ref")}
        document = {**kept, "$ref": f"#/$defs/{definition}"}
    return Draft202012Validator(document)


# --- the generated schema ---------------------------------------------------------------


def test_committed_schema_matches_the_generator(tmp_path: Path) -> None:
    pytest.importorskip("botocore")
    output = tmp_path / "task-definition.schema.json"
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "generate_schema.py"), "--output", str(output)],
        check=True,
        capture_output=True,
    )
    assert output.read_bytes() == TASK_SCHEMA.read_bytes(), (
        "schemas/task-definition.schema.json is out of date with tools/generate_schema.py, "
        "tools/schema-overlay.yaml or the pinned botocore; regenerate it with: "
        "python tools/generate_schema.py"
    )


@pytest.mark.parametrize("path", [TASK_SCHEMA, RULE_SCHEMA], ids=lambda p: p.name)
def test_schemas_are_valid_draft_2020_12(path: Path) -> None:
    from jsonschema.validators import Draft202012Validator

    Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))


def test_schema_has_model_types_enums_required_and_overlay_limits() -> None:
    defs = json.loads(TASK_SCHEMA.read_text(encoding="utf-8"))["$defs"]
    register = defs["RegisterTaskDefinitionRequest"]
    assert register["required"] == ["family", "containerDefinitions"]
    assert register["additionalProperties"] is False
    assert register["properties"]["cpu"]["type"] == "string"
    assert register["properties"]["family"]["pattern"] == "^[A-Za-z0-9_-]{1,255}$"
    container = defs["ContainerDefinition"]["properties"]
    assert container["memory"]["type"] == "integer"
    assert container["readonlyRootFilesystem"]["type"] == "boolean"
    assert defs["NetworkMode"]["enum"] == ["bridge", "host", "awsvpc", "none"]
    assert defs["LogConfigurationOptionsMap"]["additionalProperties"] == {"type": "string"}
    health = defs["HealthCheck"]["properties"]
    assert (health["interval"]["minimum"], health["interval"]["maximum"]) == (5, 300)
    assert (health["timeout"]["minimum"], health["timeout"]["maximum"]) == (2, 60)
    assert (health["retries"]["minimum"], health["retries"]["maximum"]) == (1, 10)
    storage = defs["EphemeralStorage"]["properties"]["sizeInGiB"]
    assert (storage["minimum"], storage["maximum"]) == (21, 200)
    assert defs["Tags"]["maxItems"] == 50
    described = defs["TaskDefinition"]["properties"]
    assert {"taskDefinitionArn", "revision", "registeredAt", "tags"} <= set(described)
    assert described["registeredAt"]["type"] == ["number", "string"]
    assert "description" in container["image"]


def test_root_validates_register_input_and_describe_def_allows_read_only_fields() -> None:
    task = {
        "family": "web",
        "containerDefinitions": [{"name": "web", "image": "nginx:1.27", "memory": 512}],
    }
    exported = {
        **task,
        "taskDefinitionArn": "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:3",
        "revision": 3,
        "status": "ACTIVE",
        "compatibilities": ["EC2"],
        "registeredAt": "2024-01-02T03:04:05.678000+00:00",
        "deregisteredAt": 1704164645.678,
        "tags": [{"key": "team", "value": "web"}],
    }
    root = _validator(TASK_SCHEMA)
    register = _validator(TASK_SCHEMA, "RegisterTaskDefinitionRequest")
    described = _validator(TASK_SCHEMA, "TaskDefinition")
    assert list(register.iter_errors(task)) == []
    assert {e.validator for e in register.iter_errors(exported)} == {"additionalProperties"}
    assert list(described.iter_errors(exported)) == []
    # the root (what an editor applies by default) accepts all that ecslint check accepts:
    # register input, a console export, describe output
    describe_output = {"taskDefinition": exported, "tags": [{"key": "team", "value": "web"}]}
    for accepted in (task, exported, describe_output):
        assert list(root.iter_errors(accepted)) == []
    assert list(root.iter_errors({**task, "family": "web app"}))  # and still validates
    assert list(described.iter_errors({**exported, "registeredAt": "last tuesday"}))


@pytest.mark.parametrize("documents", SOURCES)
def test_inlined_validator_reports_what_the_schema_with_refs_reports(
    documents: Callable[[], list[Any]],
) -> None:
    """The run-time schema inlines every $ref; it must mean exactly the same."""
    from jsonschema.validators import Draft202012Validator

    with_refs = _validator(TASK_SCHEMA, "RegisterTaskDefinitionRequest")
    inlined = Draft202012Validator(schema.compiled_schema("RegisterTaskDefinitionRequest"))
    samples: list[Any] = [
        {"family": "web app", "cpu": 1, "containerDefinitions": [{"memory": "1", "x": 1}]},
        {"containerDefinitions": [], "tags": [{"key": ""}] * 51},
        {"family": "f", "containerDefinitions": [{"healthCheck": {"interval": 1}}]},
        *documents(),
    ]
    assert len(samples) > 20

    def summary(validator: Any, instance: Any) -> list[tuple[str, str]]:
        return sorted(
            (json.dumps(list(error.absolute_path)), str(error.validator))
            for error in validator.iter_errors(instance)
        )

    for sample in samples:
        assert summary(with_refs, sample) == summary(inlined, sample)


# --- the rule-file schema -----------------------------------------------------------------


def _rule_files() -> list[Path]:
    return sorted((ROOT / "rules").glob("*/*.y*ml"))


@pytest.mark.parametrize("path", _rule_files(), ids=lambda p: p.name)
def test_every_rule_file_validates_against_the_rule_schema(path: Path) -> None:
    validator = _validator(RULE_SCHEMA)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert not errors, f"{path.name} does not match schemas/rule.schema.json: {errors}"
    assert path.name.startswith(f"{data['id']}-{data['name']}."), "file name is ID-slug.yaml"


def test_rule_schema_rejects_what_the_catalog_would_misread() -> None:
    validator = _validator(RULE_SCHEMA)
    good = {"id": "ACME001", "name": "no-root", "severity": "warning", "check": "c", "summary": "s"}
    assert list(validator.iter_errors(good)) == []
    assert list(validator.iter_errors([good, {**good, "id": "ACME002"}])) == []
    assert list(validator.iter_errors({"rules": [good]})) == []
    for bad in (
        {**good, "id": "acme1"},
        {**good, "name": "NoRoot"},
        {**good, "severity": "fatal"},
        {**good, "parms": {}},
        {key: value for key, value in good.items() if key != "summary"},
        {**good, "check": ""},
    ):
        assert list(validator.iter_errors(bad)), bad
    # check: defaults to the rule's slug
    assert list(validator.iter_errors({k: v for k, v in good.items() if k != "check"})) == []


# --- validation behaviour -----------------------------------------------------------------------


def _kinds(task: dict[str, Any], shape: str = "register") -> dict[str, list[str]]:
    return {
        kind: [problem.message for problem in problems]
        for kind, problems in schema.validate_task(task, shape).items()
    }


def test_numeric_task_size_is_accepted_only_for_template_shapes() -> None:
    task = {
        "family": "web",
        "cpu": 256,
        "memory": 512.0,
        "containerDefinitions": [{"name": "web", "image": "nginx:1.27"}],
    }
    assert set(_kinds(task, "register")) == {"wrong-type"}
    assert _kinds(task, "cloudformation") == {}
    assert _kinds(task, "terraform") == {}
    # only task-level cpu/memory: a container's memory must still be an integer
    nested = {**task, "containerDefinitions": [{"name": "w", "image": "i", "memory": "512"}]}
    assert set(_kinds(nested, "terraform")) == {"wrong-type"}


def test_nulls_are_reported_in_register_input_only() -> None:
    task = {
        "family": "web",
        "containerDefinitions": [{"name": "web", "image": "nginx:1.27", "hostname": None}],
    }
    assert _kinds(task, "register") == {
        "null-value": [
            "containerDefinitions[0].hostname is null; the AWS CLI and boto3 reject null values "
            "(omit the key to leave the field unset)"
        ]
    }
    assert _kinds(task, "export") == {}
    assert _kinds(task, "describe") == {}


def test_unknown_values_are_never_schema_errors() -> None:
    task = {
        "family": Unknown("${FAMILY}"),
        "networkMode": Unknown("${MODE}"),
        "containerDefinitions": [
            {
                "name": Unknown("{{ must_env `NAME` }}"),
                "image": Unknown("${IMAGE}"),
                "memory": Unknown("${MEMORY}"),
                "portMappings": [{"containerPort": Unknown("<PORT>")}],
            }
        ],
    }
    problems = schema.validate_task(task, "register")
    flat = [problem for items in problems.values() for problem in items]
    assert flat, "each placeholder that fails the schema as text is reported as not evaluated"
    assert all(not problem.evaluated for problem in flat)
    paths = {problem.path for problem in flat}
    assert ("containerDefinitions", 0, "memory") in paths
    assert ("networkMode",) in paths


def test_a_template_inside_a_string_is_still_a_string() -> None:
    task = {
        "family": "web",
        "containerDefinitions": [
            {"name": "web", "image": "nginx:1.27", "command": Unknown("echo {{ .config }}")}
        ],
    }
    problems = schema.validate_task(task, "register")["wrong-type"]
    assert [p.evaluated for p in problems] == [True]
    assert 'write it as a list: ["echo {{ .config }}"]' in problems[0].message


def test_any_of_errors_are_reduced_to_the_best_single_error() -> None:
    from jsonschema.validators import Draft202012Validator

    validator = Draft202012Validator(
        {
            "anyOf": [
                {"type": "object", "properties": {"port": {"type": "integer"}}},
                {"type": "array"},
            ]
        }
    )
    (error,) = list(validator.iter_errors({"port": "80"}))
    assert error.validator == "anyOf"
    reduced = schema._reduce(error)
    assert reduced.validator == "type"
    assert list(reduced.absolute_path) == ["port"]
    problems = schema._collect({"port": "80"}, iter([error]), {})
    assert [p.message for p in problems["wrong-type"]] == [
        'port must be an integer, not the string "80"; write 80 without quotes'
    ]


def test_one_problem_per_location() -> None:
    # a number where an enum string is expected fails both "type" and "enum"
    task = {"family": "web", "networkMode": 5, "containerDefinitions": [{"name": "w"}]}
    assert _kinds(task) == {
        "wrong-type": ['networkMode must be a string, not the integer 5; write "5" in quotes']
    }


def test_a_misspelt_required_key_is_reported_once() -> None:
    task = {"famly": "web", "containerDefinitions": [{"name": "web", "image": "nginx:1.27"}]}
    assert _kinds(task) == {
        "unknown-key": [
            'unknown key "famly" at the top level of the task definition; did you mean "family"?'
        ]
    }


def test_yaml_keys_that_are_not_strings_do_not_crash() -> None:
    task: dict[Any, Any] = {"family": "web", 1: "x", None: "y", "containerDefinitions": [{}]}
    problems = schema.validate_task(task, "register")
    assert sorted(str(p.path) for p in problems["unknown-key"]) == ["(1,)", "(None,)"]
    # the original keys are kept, so the finding can point at them in the file
    assert {p.path[0] for p in problems["unknown-key"]} == {1, None}


def test_schema_problems_are_found_without_importing_jsonschema() -> None:
    code = (
        "import json, sys\n"
        "from ecslint.schema import validate_task\n"
        "task = json.loads(sys.argv[1])\n"
        "problems = validate_task(task, 'register')\n"
        "print(json.dumps([sorted(problems), 'jsonschema' in sys.modules]))\n"
    )

    def run(task: dict[str, Any]) -> Any:
        done = subprocess.run(
            [sys.executable, "-c", code, json.dumps(task)],
            check=True,
            capture_output=True,
            text=True,
        )
        return json.loads(done.stdout)

    valid = {"family": "web", "containerDefinitions": [{"name": "w", "image": "nginx:1.27"}]}
    assert run(valid) == [[], False]
    assert run({**valid, "cpu": 256}) == [["wrong-type"], False]
    broken = {**valid, "bogus": 1, "networkMode": "bridged"}
    assert run(broken) == [["invalid-enum-value", "unknown-key"], False]


def _mutations(task: Any, rng: random.Random, count: int) -> list[Any]:
    """Copies of ``task`` with one random change each: a type, a key, a value, an item."""
    replacements: list[Any] = [None, True, 0, -1, 70000, 1.5, "", "x y", "80", [], {}, ["a"]]
    out = []
    for _ in range(count):
        copy = json.loads(json.dumps(task))
        node: Any = copy
        path: list[Any] = []
        for _depth in range(rng.randint(0, 6)):
            if isinstance(node, dict) and node:
                key = rng.choice(sorted(node))
            elif isinstance(node, list) and node:
                key = rng.randrange(len(node))
            else:
                break
            if not isinstance(node[key], (dict, list)):
                break
            path.append(key)
            node = node[key]
        action = rng.random()
        if isinstance(node, dict) and node and action < 0.3:
            del node[rng.choice(sorted(node))]
        elif isinstance(node, dict) and action < 0.45:
            node[rng.choice(["bogus", "Name", "memory", "image"])] = rng.choice(replacements)
        elif isinstance(node, dict) and node:
            node[rng.choice(sorted(node))] = rng.choice(replacements)
        elif isinstance(node, list) and node:
            node[rng.randrange(len(node))] = rng.choice(replacements)
        out.append(copy)
    return out


def _strict_jsonschema(definition: str) -> Any:
    """Plain jsonschema with ecslint's integer rule, without the pruning of ecslint.schema."""
    from jsonschema import validators

    checker = validators.Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda _checker, value: type(value) is int
    )
    strict = validators.extend(validators.Draft202012Validator, type_checker=checker)
    return strict(schema.compiled_schema(definition))


def _samples(rng: random.Random, documents: Callable[[], list[Any]]) -> list[Any]:
    """Task definitions (shipped or of the corpus), a few edge cases, and mutated copies."""
    samples: list[Any] = [
        {"family": "web", "containerDefinitions": [{"name": "w", "image": "i", "memory": 1.0}]},
        {"family": "web", "containerDefinitions": [{"name": "w", "essential": 1}]},
        {"family": "web", "containerDefinitions": [{"name": "w", "privileged": 0}]},
    ]
    for data in documents():
        if isinstance(data, dict):
            samples.append(data.get("taskDefinition", data))
    for sample in list(samples):
        samples.extend(_mutations(sample, rng, 15))
    return samples


@pytest.mark.parametrize("documents", SOURCES)
@pytest.mark.parametrize("definition", ["RegisterTaskDefinitionRequest", "TaskDefinition"])
def test_the_quick_check_agrees_with_jsonschema(
    definition: str, documents: Callable[[], list[Any]]
) -> None:
    """The quick check only skips jsonschema where jsonschema would find nothing."""
    from jsonschema.validators import Draft202012Validator

    from ecslint.schema.quick import compile_check

    compiled = schema.compiled_schema(definition)
    quick = compile_check(compiled)
    full = Draft202012Validator(compiled)
    strict = _strict_jsonschema(definition)
    samples = _samples(random.Random(20261126), documents)
    disagreements = [
        sample for sample in samples if quick(sample) != (not any(strict.iter_errors(sample)))
    ]
    assert not disagreements, disagreements[:3]
    # and the strict integer rule is the only difference from plain draft 2020-12
    assert any(quick(s) != (not any(full.iter_errors(s))) for s in samples[:1])
    assert len(samples) > 50


@pytest.mark.parametrize("documents", SOURCES)
@pytest.mark.parametrize("definition", ["RegisterTaskDefinitionRequest", "TaskDefinition"])
def test_ecslint_validator_reports_every_error_jsonschema_reports(
    definition: str, documents: Callable[[], list[Any]]
) -> None:
    """ecslint.schema.validate yields jsonschema's errors: same order, paths, keywords, text."""

    def errors(validator: Any, instance: Any) -> list[tuple[str, str, str]]:
        return [
            (json.dumps(list(error.absolute_path)), str(error.validator), error.message)
            for error in validator.iter_errors(instance)
        ]

    pruned = schema._validator(definition)
    assert type(pruned).__module__ == "ecslint.schema.validate"
    plain = _strict_jsonschema(definition)
    samples = _samples(random.Random(7), documents)
    invalid = 0
    for sample in samples:
        expected = errors(plain, sample)
        assert errors(pruned, sample) == expected, sample
        invalid += bool(expected)
    assert invalid > 100  # the comparison ran on many invalid task definitions


def test_a_keyword_the_validator_lacks_sends_the_schema_to_jsonschema() -> None:
    from ecslint.schema.validate import supports

    compiled = schema.compiled_schema("RegisterTaskDefinitionRequest")
    assert supports(compiled)
    assert not supports({"type": "object", "properties": {"a": {"anyOf": [{"type": "string"}]}}})
    assert not supports({"items": {"format": "uri"}})
    assert schema._jsonschema_validator({"anyOf": [{"type": "string"}]}).is_valid("x")


@pytest.mark.parametrize("documents", SOURCES)
@pytest.mark.parametrize("definition", ["RegisterTaskDefinitionRequest", "TaskDefinition"])
def test_the_jsonschema_fallback_reports_what_jsonschema_reports(
    definition: str, documents: Callable[[], list[Any]]
) -> None:
    """The fallback for schemas ecslint.schema.validate lacks a keyword of (its own
    properties and items, which skip what the quick check proves) yields plain jsonschema's
    errors: same order, paths, keywords and text."""

    def errors(validator: Any, instance: Any) -> list[tuple[str, str, str]]:
        return [
            (json.dumps(list(error.absolute_path)), str(error.validator), error.message)
            for error in validator.iter_errors(instance)
        ]

    fallback = schema._jsonschema_validator(schema.compiled_schema(definition))
    plain = _strict_jsonschema(definition)
    invalid = 0
    for sample in _samples(random.Random(11), documents):
        expected = errors(plain, sample)
        assert errors(fallback, sample) == expected, sample
        invalid += bool(expected)
    assert invalid > 100


@pytest.mark.parametrize(
    "fragment",
    [
        {"prefixItems": [{"type": "string"}], "items": False},
        {"prefixItems": [{"type": "string"}, {"type": "integer"}], "items": False},
        {"prefixItems": [{"type": "string"}], "items": {"type": "integer"}},
        {"items": {"type": "integer", "minimum": 2}},
        {"items": False},
    ],
)
def test_the_fallbacks_items_keyword_is_jsonschemas(fragment: dict[str, Any]) -> None:
    from jsonschema.validators import Draft202012Validator

    ours = schema._jsonschema_validator(fragment)
    theirs = Draft202012Validator(fragment)
    for instance in ([], ["a"], ["a", 1], ["a", "b", 3], [1, 2, 3], "not a list"):
        assert [(list(e.path), e.validator, e.message) for e in ours.iter_errors(instance)] == [
            (list(e.path), e.validator, e.message) for e in theirs.iter_errors(instance)
        ], instance


def test_proofs_are_not_taken_from_a_schema_that_is_gone() -> None:
    """A part of a schema validated once, then freed: a new schema whose part reuses the
    freed object's id gets its own proof (ids are reused after garbage collection)."""
    for round_ in range(200):
        kind = "string" if round_ % 2 else "integer"
        validator = schema._jsonschema_validator(
            {"type": "object", "properties": {"a": {"type": kind}}}
        )
        errors = list(validator.iter_errors({"a": 1}))
        assert bool(errors) == (kind == "string"), round_
        del validator, errors


def test_ecslint_uses_no_private_jsonschema_api() -> None:
    package = Path(schema.__file__).resolve().parent.parent
    private = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "jsonschema._" in path.read_text(encoding="utf-8")
    ]
    assert private == []


# --- through the CLI ------------------------------------------------------------------------------


def test_describe_output_and_console_export_have_no_read_only_findings() -> None:
    task: dict[str, Any] = {
        "taskDefinitionArn": "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:3",
        "family": "web",
        "revision": 3,
        "status": "ACTIVE",
        "requiresAttributes": [{"name": "com.amazonaws.ecs.capability.logging-driver.awslogs"}],
        "compatibilities": ["EC2", "FARGATE"],
        "registeredAt": "2024-01-02T03:04:05.678000+00:00",
        "registeredBy": "arn:aws:iam::123456789012:user/me",
        "containerDefinitions": [
            {
                "name": "web",
                "image": "nginx:1.27.2",
                "cpu": 0,
                "memory": 512,
                "portMappings": [],
                "essential": True,
                "environment": [],
                "mountPoints": [],
                "volumesFrom": [],
                "systemControls": [],
                "hostname": None,
            }
        ],
        "volumes": [],
        "placementConstraints": [],
    }
    described = lint({"taskDefinition": task, "tags": [{"key": "team", "value": "web"}]})
    exported = lint({**task, "deregisteredAt": 1704164645.5})
    for result in (described, exported):
        assert result.exit_code in (0, 1), result.stderr
        assert not [f for f in result.findings if f["rule"] in SCHEMA_RULES], result.findings


def test_placeholders_produce_no_schema_errors_through_the_cli() -> None:
    text = """{
  "family": "${FAMILY}",
  "networkMode": "{{ must_env `MODE` }}",
  "containerDefinitions": [
    {"name": "<APP_NAME>", "image": "${IMAGE}", "memory": "${MEMORY}",
     "portMappings": [{"containerPort": "${PORT}"}]}
  ]
}"""
    result = lint(text)
    assert not [f for f in result.findings if f["rule"] in SCHEMA_RULES], result.findings
    unevaluated = {f["path"]: f["message"] for f in result.findings if f["rule"] == "ECS001"}
    assert "wrong-type" in unevaluated["/containerDefinitions/0/memory"]
    assert "invalid-enum-value" in unevaluated["/networkMode"]


@needs_taskdef_corpus
def test_every_corpus_task_definition_lints_without_a_traceback() -> None:
    files = sorted(str(path) for path in TASKDEF_CORPUS.iterdir())
    result = lint_file(files[0], *files[1:])
    assert result.exit_code in (0, 1), result.stderr
    assert "internal error" not in result.stderr
    counts = Counter(f["rule"] for f in result.findings if f["rule"] in SCHEMA_RULES)
    # the corpus is real: some files break the schema, and most do not
    assert counts["ECS011"] >= 5
    assert counts["ECS010"] >= 3
    flagged = {f["file"] for f in result.findings if f["rule"] in SCHEMA_RULES}
    assert len(flagged) < len(files) / 4


def test_yaml_keys_that_are_not_strings_are_located_and_named() -> None:
    text = (
        "family: web\n"
        "containerDefinitions:\n"
        "  - name: web\n"
        "    image: nginx:1.27\n"
        "    memory: 512\n"
        "    dockerLabels: {null: 1, 7: x}\n"
        "    ulimits:\n"
        "      - {name: nofile, softLimit: 1, hardLimit: 2, true: 1}\n"
    )
    result = lint(text)
    assert result.exit_code == 1, result.stderr
    found = {(f["line"], f["column"]): f["message"] for f in result.findings}
    assert found[(6, 26)].startswith("containerDefinitions[0].dockerLabels.null must be a string")
    assert found[(8, 52)].startswith('unknown key "true" in containerDefinitions[0].ulimits[0]')


@pytest.mark.parametrize("documents", SOURCES)
def test_plain_json_is_validated_without_a_copy_and_with_the_same_problems(
    documents: Callable[[], list[Any]],
) -> None:
    samples = _samples(random.Random(11), documents)
    assert len(samples) > 100
    for sample in samples:
        if isinstance(sample, dict):
            copied = schema.validate_task(sample, "register")
            assert schema.validate_task(sample, "register", plain=True) == copied


def test_a_target_is_plain_only_for_json_without_placeholders() -> None:
    from ecslint.load import Source, detect_targets, parse

    def plain(name: str, text: str) -> bool:
        (target,) = detect_targets(parse(Source(name, text)))
        return target.plain

    assert plain("t.json", '{"family": "f", "containerDefinitions": []}')
    assert not plain("t.json", '{"family": "${FAMILY}", "containerDefinitions": []}')
    assert not plain("t.yaml", "family: f\ncontainerDefinitions: []\n")
