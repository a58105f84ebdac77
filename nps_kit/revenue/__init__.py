"""ABC revenue classes, NPS by class, revenue at risk, close-the-loop call lists."""
