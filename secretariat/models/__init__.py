"""The secretariat's models, one module per concern; import them here so Django finds them."""
