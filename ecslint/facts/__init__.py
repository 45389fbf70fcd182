"""Hand-kept facts about ECS, one module per topic, each sourced from ecs-facts.md.

Checks read their closed lists and tables from here so that a list that lags AWS
is fixed in one place, not in every rule that uses it.
"""
