"""Printed and spreadsheet outputs: PDF (reportlab) and Excel (openpyxl), imported lazily."""
