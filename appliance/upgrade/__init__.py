"""Signed update bundles (升级包): verify, back up, install side by side, migrate, switch."""
