"""Synthetic demo data of nps-kit, exactly as ``nps_kit.simulate`` writes it with its default seed."""
