"""Only SIRI sees who logged in by single sign-on (the admin's list of identities)."""

import rules

from core.roles import is_siri

rules.add_perm("sso", is_siri)
rules.add_perm("sso.view_ssoidentity", is_siri)
