"""Signed bundle files: facility exports, provisioning, enrolment, verification."""
