"""Reusable widgets for form pages: grid, period navigator, problems panel."""
