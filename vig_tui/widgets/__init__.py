"""Small reusable widgets: questions with their errors, choices, dates, the error summary."""
