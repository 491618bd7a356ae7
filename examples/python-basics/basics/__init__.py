"""Small, self-contained functions used as the RLVR Studio demo task set."""
