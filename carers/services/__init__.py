"""Writes for the carers app, one module per subject (assessments, directory, referrals, diary).

Import from the module itself: nothing is re-exported here.
"""
