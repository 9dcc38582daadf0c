"""The national population database, reached through the provincial data-sharing platform (LGSP)."""
