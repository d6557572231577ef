"""The ambassador network's pages: the ambassador's own page and reports, SIRI's network
overview, network meetings and the best-practice catalogue. Every change goes through
`ambassadors.services`; these views only ask, show and confirm."""
