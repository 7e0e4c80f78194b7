"""Knowledge base services (知识库, R-C3)."""
