"""The grant administration's pages: what a grant needs now on the project page (a panel of
monitoring's page), acceptance and revocation, payments and change requests."""
