"""Assistance (the guide's chapter 6): regulatory documentation per procedure, questions to the economic action unit
(PAE) of the competent office, technical tickets answered by the support, and « Votre avis nous intéresse »."""
