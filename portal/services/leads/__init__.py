"""Project leads: conversion, fiche, stages, workshops, committee, offers, steering summary."""
