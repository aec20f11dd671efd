"""Who uses the portal: users, operators, rights, and the one access policy."""
