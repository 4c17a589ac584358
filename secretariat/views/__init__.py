"""Views of the secretariat app, one module per concern (public site, applications, workspace)."""
