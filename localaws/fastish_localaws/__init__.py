"""The project's local AWS: moto's server, extended so that it behaves like AWS where the portal's
security depends on it (STS evaluates trust policies). See ../README.md and ARCHITECTURE.md."""
