"""Fault log and emergencies (故障台账与应急处置, R-I1, R-I2)."""
