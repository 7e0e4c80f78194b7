"""HTTP controllers. Each handler declares ``opt={"roles": ...}`` or ``opt={"public": True}``."""
