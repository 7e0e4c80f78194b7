"""Application services: the rules of the domain applied to storage, one transaction each."""
