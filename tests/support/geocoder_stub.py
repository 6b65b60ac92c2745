"""The simulated geocoder (`invgate_sim.geocoder`) under the name the geo tests use."""

from invgate_sim.geocoder import PLACES, GeocoderStub, Recorded, running_geocoder_stub

__all__ = ["PLACES", "GeocoderStub", "Recorded", "running_geocoder_stub"]
