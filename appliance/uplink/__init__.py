"""The station's link to the county centre (县级中心同步): sync state, quarantine, reference rows."""
