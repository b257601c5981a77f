"""dlplanner: plan a deep-learning workstation and compare it with renting cloud GPUs."""

__version__ = "0.1.0"
