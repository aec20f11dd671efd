"""Filing an application through the API (issue 4), one module per intent (creating, saving, checking, goods,
attachments, submission, access), over real HTTP against the live portal, as the demo users:
create (prefilled, correctable), save (malformed refused, incomplete kept, optimistic concurrency), check, submit,
goods lines, attachments (GraphQL multipart, browser form, download), and who may do what.

Demo rights (backend/demo.py): Sophie Moreau SUBMIT on Ateliers Durand, Paul Lefèvre CONSULT, Karim Benali PREPARE as an
external partner (he names the operator), Lucie Martin's firm represents Ateliers Durand fully and Verrerie de Provence
partially (only the dossiers her firm filed).
"""
