"""The monitoring pages: projects, quarterly reports and SIRI's pool dashboard."""
