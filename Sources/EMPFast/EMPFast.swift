import EMPCore
