"""Helpers shared by the test suites: real servers on free ports, never mocks of our own code."""
