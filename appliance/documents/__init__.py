"""Printed documents (文书): receipts as ESC/POS and PNG, A4 notices and guides as PDF."""
