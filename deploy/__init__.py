"""Running the app on more than one core: a container image, nginx in front of N replicas."""
