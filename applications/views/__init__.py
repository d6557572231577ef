"""The server-rendered pages, split by who uses them: applicants (`applicant`, `editor`,
`attachments`), SIRI's reviewers (`review`) and pool administrators (`pools`)."""
