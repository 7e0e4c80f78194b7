"""知识库 (the question-and-answer knowledge base, R-C3): search, promotion, publication."""
