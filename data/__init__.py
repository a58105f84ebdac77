"""Synthetic demo data of nps-kit, exactly as ``nps_kit.simulate.world`` writes it with its default seed."""
