"""engine/detectors"""
