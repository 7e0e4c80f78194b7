"""Pure rules of ratings: levels and channels, the follow-up machine, the rates."""
