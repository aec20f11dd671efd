"""Dossiers: the procedures catalogue, the application form and its rules, goods, attachments, workflow."""
