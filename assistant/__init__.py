"""runner-strength-assistant: evidence-grounded answers about strength training for runners."""

__version__ = "0.1.0"
