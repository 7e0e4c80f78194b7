"""The county server (县级中心): inbox for station events, enrolment, reference down-sync."""
