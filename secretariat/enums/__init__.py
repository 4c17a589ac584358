"""TextChoices of the secretariat app, one module per concern (applications, workspace)."""
