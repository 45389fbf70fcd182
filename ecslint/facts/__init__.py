"""Hand-kept facts about ECS task definitions, one module per topic.

Each module says which section of ``ecs-facts.md`` (the project's fact sheet) its
values come from, so a changed AWS limit is fixed in one place.
"""
