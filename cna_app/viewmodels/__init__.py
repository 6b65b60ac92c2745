"""State and rules of every screen, in plain Python (no flet): views render these and forward
events to them. Tests drive them with fakes of the ports in `cna_app.services`."""
