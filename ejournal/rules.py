"""Permissions of the foundation's own pages."""

import rules

# The portal's status page says only whether the database answers: anyone may read it, as a load balancer may read
# /healthz, so that an operator can tell "the portal is down" from "I cannot log in".
rules.add_perm("ejournal.view_status", rules.always_allow)
