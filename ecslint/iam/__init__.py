"""The execution role, for real: what a task needs, where roles come from, and policy evaluation.

Permission boundaries, service control policies, resource policies and session
policies are out of scope: only the role's identity-based policies are evaluated.
"""
